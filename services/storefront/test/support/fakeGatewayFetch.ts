/** A fetch for the gateway client that records each request and answers from a queue. */
export interface FakeGatewayFetch {
  fetch: (request: Request) => Promise<Response>;
  requests: Request[];
}

export type FakeAnswer = Response | Error | ((request: Request) => Response);

export function fakeGatewayFetch(...answers: FakeAnswer[]): FakeGatewayFetch {
  const requests: Request[] = [];
  return {
    requests,
    fetch: async (request) => {
      requests.push(request);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected request ${request.method} ${request.url}`);
      if (answer instanceof Error) throw answer;
      return typeof answer === 'function' ? answer(request) : answer;
    },
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function problem(
  status: number,
  code: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const body = { type: `/problems/${code.toLowerCase()}`, title: code, status, code, ...extra };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}
