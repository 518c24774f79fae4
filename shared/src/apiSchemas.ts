import { z } from 'zod';
import { JsonSchema } from './graphSchema.ts';
import { MAX_NODE_TIMEOUT_MS, MAX_RELEASE_NOTE_LENGTH } from './limits.ts';

/**
 * Request shapes of the API, shared by the tRPC procedures, the REST handlers and the IDE.
 * A graph document itself is checked by `validateGraph`, which reports every problem at once.
 */
export const GraphRefSchema = z.object({ name: z.string() });
export const VersionRefSchema = z.object({ name: z.string(), version: z.number().int().positive() });

export const CreateGraphSchema = z.object({ document: z.unknown() });
export const UpdateGraphSchema = z.object({ name: z.string(), document: z.unknown(), revision: z.number().int() });
export const DuplicateGraphSchema = z.object({ name: z.string(), newName: z.string() });

/** `POST /graphs/{name}/test`: the input to run the draft with. */
export const TestRunBodySchema = z.object({ input: JsonSchema });
/** `POST /graphs/{name}/versions`: publish, going live unless `promote` is false. */
/**
 * `POST /graphs/{name}/versions`. `note`: what changed, kept with the version. A draft that is
 * the live version over again (node positions aside) is refused as `unchanged` (409).
 */
export const PublishBodySchema = z.object({
  promote: z.boolean().optional(),
  note: z
    .string()
    .max(MAX_RELEASE_NOTE_LENGTH, `a release note has at most ${MAX_RELEASE_NOTE_LENGTH} characters`)
    .optional(),
});

/** `POST /keys`: a label and, optionally, the graphs the key may invoke. */
export const CreateKeyBodySchema = z.object({ name: z.string(), graphs: z.array(z.string()).optional() });
export const KeyRefSchema = z.object({ id: z.string() });

/** `POST /secrets`; `PUT /secrets/{name}` takes only the value. */
export const SecretBodySchema = z.object({ name: z.string(), value: z.string() });
export const SecretValueBodySchema = z.object({ value: z.string() });
export const SecretRefSchema = z.object({ name: z.string() });

/** `POST /environments`: the virtualenv of a node's requirements (built first when needed). */
export const EnvironmentBodySchema = z.object({ requirements: z.array(z.string()) });

/** One wheel pip resolved for a requirements list. Only `pure` ones (`py3-none-any`) load in a browser. */
export interface EnvironmentWheel {
  /** The distribution name as PEP 503 compares it (`plinth-demo-pkg`). */
  name: string;
  version: string;
  file: string;
  pure: boolean;
  /** `/api/v1/environments/{key}/wheels/{file}` (admin). */
  url: string;
}

/** The answer of `POST /environments`. */
export interface EnvironmentAnswer {
  key: string;
  /** The list as normalised (comments and blanks dropped, sorted). */
  requirements: string[];
  /** `pip freeze` of the venv: what the server's workers import on top of the system's packages. */
  installed: string[];
  wheels: EnvironmentWheel[];
}
/** Models: one model, one version of it, a prediction (the live version unless `version`). */
export const ModelRefSchema = z.object({ name: z.string() });
export const ModelVersionRefSchema = z.object({ name: z.string(), version: z.number().int().positive() });
export const ModelPredictSchema = z.object({
  name: z.string(),
  version: z.number().int().positive().optional(),
  input: JsonSchema,
  /** A model node's own timeout, so a browser run gives up when a server run would. */
  timeoutMs: z.number().int().positive().max(MAX_NODE_TIMEOUT_MS).optional(),
});

/** Where a model version is on its way to serving. */
export const ModelStatusSchema = z.enum(['building', 'loading', 'ready', 'failed']);
export type ModelStatus = z.infer<typeof ModelStatusSchema>;
