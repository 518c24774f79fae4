import type { GraphDocument, InputNode } from '@plinth/shared';

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Malformed JSON or input failing the input schema (`invalid_json`, `invalid_input` with `problems`)',
  '401': 'No `Authorization: Bearer <API key>` header',
  '403': 'The key is not valid, or not allowed to call this graph',
  '404': 'No such graph or version, or nothing published yet',
  '413': 'The body is larger than the server allows (PLINTH_MAX_BODY_BYTES)',
  '422': 'A node raised, returned a value that is not JSON, or chose an unknown branch (`nodeId`, `traceback`, `line`)',
  '502': 'A worker crashed; the request can be retried',
  '504': 'A node ran past its timeout (`nodeId`)',
};

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        nodeId: { type: 'string' },
        problems: {
          type: 'array',
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, nodeId: { type: 'string' }, message: { type: 'string' } },
          },
        },
        traceback: { type: 'string' },
        line: { type: 'integer' },
      },
    },
  },
};

const RESPONSES = {
  '200': {
    description: "The graph's output: whatever its output node received",
    headers: { 'Plinth-Version': { description: 'The version that answered', schema: { type: 'integer' } } },
    content: { 'application/json': { schema: {} } },
  },
  ...Object.fromEntries(
    Object.entries(ERROR_STATUSES).map(([status, description]) => [
      status,
      { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  ),
};

/**
 * OpenAPI 3.1 for one graph's invoke endpoints, so a caller can generate a client.
 * The request schema is the input node's JSON Schema (3.1 speaks JSON Schema 2020-12).
 */
export function buildOpenApi(
  graph: GraphDocument,
  liveVersion: number | null,
  baseUrl: string,
): Record<string, unknown> {
  const input = graph.nodes.find((n): n is InputNode => n.type === 'input');
  const example = input?.example !== undefined ? { example: input.example } : {};
  const requestBody = { required: true, content: { 'application/json': { schema: input?.schema ?? {}, ...example } } };
  const base = `/api/v1/graphs/${graph.name}`;
  const version = { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
  return {
    openapi: '3.1.0',
    info: {
      title: graph.name,
      description: graph.description || `The Plinth graph "${graph.name}"`,
      version: liveVersion === null ? 'unpublished' : String(liveVersion),
    },
    servers: [{ url: baseUrl }],
    security: [{ apiKey: [] }],
    paths: {
      [`${base}/invoke`]: {
        post: { operationId: 'invoke', summary: 'Run the live version', requestBody, responses: RESPONSES },
      },
      [`${base}/versions/{version}/invoke`]: {
        post: {
          operationId: 'invokeVersion',
          summary: 'Run one published version',
          parameters: [version],
          requestBody,
          responses: RESPONSES,
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (plk_...) or the admin token' },
      },
      schemas: { Error: ERROR_SCHEMA },
    },
  };
}
