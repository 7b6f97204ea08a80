// @pactflow/swagger-mock-validator ships no type declarations; this is the part the stage uses.
declare module '@pactflow/swagger-mock-validator' {
  export interface ValidationResult {
    code: string;
    message: string;
    type: 'error' | 'warning';
    source: string;
    mockDetails?: { interactionDescription?: string; interactionState?: string; location?: string; mockFile?: string };
    specDetails?: { location?: string; pathMethod?: string; pathName?: string; specFile?: string };
  }

  export interface ValidationOutcome {
    success: boolean;
    failureReason?: string;
    errors: ValidationResult[];
    warnings: ValidationResult[];
  }

  export interface UserOptions {
    specPathOrUrl: string;
    mockPathOrUrl: string;
    providerName?: string;
    tag?: string;
    /** 'true' allows response properties the spec does not define (default: they are errors). */
    additionalPropertiesInResponse?: 'true' | 'false';
    requiredPropertiesInResponse?: 'true' | 'false';
  }

  export interface SwaggerMockValidator {
    validate(options: UserOptions): Promise<ValidationOutcome>;
  }

  export const SwaggerMockValidatorFactory: {
    create(auth?: string): SwaggerMockValidator;
  };
}
