"""A small kit shared by the three services: env settings, problem+json, input fields,
idempotency fingerprints and the PostgreSQL pool."""
