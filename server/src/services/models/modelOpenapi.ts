import type { ModelVersionInfo } from './modelStore.ts';

const ERRORS: Record<string, string> = {
  '400': 'Malformed JSON (`invalid_json`)',
  '401': 'No `Authorization: Bearer <API key>` header',
  '403': 'The key is not valid, or not allowed to call this model',
  '404': 'No such model or version',
  '422':
    'predict (or pre/postprocess) raised (`model_failed`, with `traceback`), returned a value that is not JSON (`invalid_output`), or the version failed to deploy (`model_unavailable`)',
  '502': 'The worker crashed; the request can be retried',
  '503': 'The version is still loading (`model_loading`) or its workers are busy (`overloaded`); see Retry-After',
  '504': 'predict ran past its timeout (`model_timeout`); the worker was replaced',
};

/** OpenAPI 3.1 for one model version's predict endpoints; the example input is the config's. */
export function buildModelOpenApi(name: string, info: ModelVersionInfo, baseUrl: string): Record<string, unknown> {
  const example = info.config.exampleInput !== null ? { example: info.config.exampleInput } : {};
  const requestBody = { required: true, content: { 'application/json': { schema: {}, ...example } } };
  const error = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const responses = {
    '200': {
      description: "predict's return value (after postprocess), as JSON",
      headers: { 'Plinth-Model-Version': { description: 'The version that answered', schema: { type: 'integer' } } },
      content: { 'application/json': { schema: {} } },
    },
    ...Object.fromEntries(Object.entries(ERRORS).map(([status, description]) => [status, { description, ...error }])),
  };
  const base = `/api/v1/models/${name}`;
  const description = info.config.modelMetadata.description;
  return {
    openapi: '3.1.0',
    info: {
      title: name,
      description: typeof description === 'string' ? description : `The Plinth model "${name}"`,
      version: String(info.version),
    },
    servers: [{ url: baseUrl }],
    security: [{ apiKey: [] }],
    paths: {
      [info.live ? `${base}/predict` : `${base}/versions/${info.version}/predict`]: {
        post: { operationId: 'predict', summary: `Call version ${info.version}'s predict`, requestBody, responses },
      },
      ...(info.live
        ? {
            [`${base}/versions/${info.version}/predict`]: {
              post: {
                operationId: 'predictVersion',
                summary: `Call version ${info.version} by number`,
                requestBody,
                responses,
              },
            },
          }
        : {}),
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (plk_...) or the admin token' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, traceback: { type: 'string' } },
            },
          },
        },
      },
    },
  };
}
