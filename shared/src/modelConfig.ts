import { z } from 'zod';
import type { Problem } from './errors.ts';
import type { Json } from './json.ts';

/**
 * A model package's `config.yaml`, in Truss's layout: a package written for Truss is read
 * unchanged. Keys Truss has that only matter to its own build (python_version, spec_version, ...)
 * are accepted and have no effect; keys Plinth cannot honour (build_commands, system_packages,
 * docker_server, ...) are refused when they ask for something; any other key is a mistake.
 */
const ANY = z.unknown();
const names = z.array(z.string());

/** Truss keys that change nothing here, accepted so its packages load unchanged. */
const INERT_KEYS = {
  description: z.string().nullable(),
  python_version: z.string(),
  spec_version: z.string(),
  examples_filename: z.string(),
  input_type: z.string(),
  model_framework: z.string(),
  model_type: z.string(),
  live_reload: z.boolean(),
  apply_library_patches: z.boolean(),
  use_local_src: z.boolean(),
  cache_internal: ANY,
  build: ANY,
};

/** Truss keys that would need something Plinth does not do: fine empty, refused otherwise. */
const UNSUPPORTED_KEYS: Record<string, string> = {
  system_packages: 'Plinth does not install system packages; install them on the server (apt-get) and leave this empty',
  build_commands: 'Plinth runs no build commands; do that work in load() or ship the result in data/',
  docker_server: 'Plinth serves model.py itself, not a custom Docker server',
  base_image: "Plinth runs the server's Python, not a Docker base image",
  external_data: 'Plinth downloads nothing; put the files in data/',
  model_cache: 'Plinth downloads nothing; put the weights in data/',
  weights: 'Plinth downloads nothing; put the weights in data/',
  trt_llm: 'TensorRT-LLM packages are not supported',
  training_checkpoints: 'Plinth downloads nothing; put the checkpoint in data/',
  bis_llm: 'not supported by Plinth',
};

const Memory = z.union([
  z.number().positive(),
  z.string().regex(/^\d+(\.\d+)?([kMGTPE]i?|Ki)?$/, 'a size such as "2Gi", "512Mi" or "1G"'),
]);
const Cpu = z.union([
  z.number().positive(),
  z.string().regex(/^(\d+(\.\d+)?|\d+m)$/, 'a number of cores such as "1", "0.5" or "500m"'),
]);

const ResourcesSchema = z
  .object({
    cpu: Cpu.optional(),
    memory: Memory.optional(),
    use_gpu: z.boolean().optional(),
    accelerator: z.string().nullable().optional(),
    instance_type: z.string().nullable().optional(),
    node_count: z.number().int().nullable().optional(),
  })
  .strict();

const RuntimeSchema = z
  .object({
    predict_concurrency: z.number().int().min(1).max(256).optional(),
    streaming_read_timeout: ANY.optional(),
    enable_tracing_data: ANY.optional(),
    enable_debug_logs: ANY.optional(),
    transport: ANY.optional(),
    is_websocket_endpoint: ANY.optional(),
    health_checks: ANY.optional(),
    num_workers: z.literal(1).optional(),
  })
  .strict();

const packageRelative = z
  .string()
  .refine(
    (p) => !p.startsWith('/') && !p.split('/').includes('..'),
    'a folder inside the package (no leading / or ..)',
  );

export const ModelConfigFileSchema = z
  .object({
    model_name: z.string().min(1).nullable().optional(),
    requirements: names.optional(),
    requirements_file: packageRelative.nullable().optional(),
    resources: ResourcesSchema.optional(),
    predict_concurrency: z.number().int().min(1).max(256).optional(),
    runtime: RuntimeSchema.optional(),
    example_input: z.json().optional(),
    model_metadata: z.record(z.string(), z.json()).nullable().optional(),
    secrets: z.record(z.string(), z.string().nullable()).nullable().optional(),
    external_package_dirs: z.array(packageRelative).nullable().optional(),
    environment_variables: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .nullable()
      .optional(),
    data_dir: packageRelative.optional(),
    model_module_dir: packageRelative.optional(),
    model_class_filename: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\.py$/, 'a .py file name')
      .optional(),
    model_class_name: z
      .string()
      .regex(/^[A-Za-z_]\w*$/, 'a Python class name')
      .optional(),
    bundled_packages_dir: packageRelative.optional(),
    ...Object.fromEntries(Object.entries(INERT_KEYS).map(([k, s]) => [k, s.optional()])),
    ...Object.fromEntries(Object.keys(UNSUPPORTED_KEYS).map((k) => [k, ANY.optional()])),
  })
  .strict();

/** The config as Plinth uses it: defaults filled in, Truss's alternatives folded together. */
export interface ModelConfig {
  modelName: string | null;
  requirements: string[];
  requirementsFile: string | null;
  resources: { cpu: string; memoryMb: number | null; useGpu: boolean };
  predictConcurrency: number;
  exampleInput: Json | null;
  modelMetadata: Record<string, Json>;
  secrets: Record<string, string | null>;
  externalPackageDirs: string[];
  environmentVariables: Record<string, string>;
  dataDir: string;
  modelModuleDir: string;
  modelClassFilename: string;
  modelClassName: string;
  bundledPackagesDir: string;
}

const UNITS: Record<string, number> = {
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/** `"2Gi"` → 2048 (MiB); a plain number is bytes, as in Truss. */
export function memoryMb(memory: string | number): number {
  if (typeof memory === 'number') return Math.ceil(memory / 1024 ** 2);
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(memory)!;
  return Math.ceil((Number(match[1]) * (match[2] ? (UNITS[match[2]] ?? 1) : 1)) / 1024 ** 2);
}

/**
 * Reads a parsed config.yaml: every problem located as `config.yaml: a.b`, and the config when
 * its shape is right (it may still have problems, such as a key Plinth cannot honour).
 */
export function readModelConfig(raw: unknown): { config: ModelConfig | null; problems: Problem[] } {
  if (raw === null || raw === undefined) raw = {};
  const parsed = ModelConfigFileSchema.safeParse(raw);
  const problems: Problem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const base = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problems.push({ path: `config.yaml: ${base ? `${base}.` : ''}${key}`, message: `unknown key "${key}"` });
        }
      } else {
        problems.push({ path: `config.yaml: ${base || '(top level)'}`, message: issue.message });
      }
    }
    return { config: null, problems };
  }
  const file = parsed.data as z.infer<typeof ModelConfigFileSchema> & Record<string, unknown>;
  for (const [key, why] of Object.entries(UNSUPPORTED_KEYS)) {
    if (asksForSomething(file[key])) problems.push({ path: `config.yaml: ${key}`, message: why });
  }
  if (file.requirements?.length && file.requirements_file) {
    problems.push({
      path: 'config.yaml: requirements_file',
      message: 'give requirements or requirements_file, not both',
    });
  }
  const resources = file.resources ?? {};
  const config: ModelConfig = {
    modelName: file.model_name ?? null,
    requirements: file.requirements ?? [],
    requirementsFile: file.requirements_file ?? null,
    resources: {
      cpu: String(resources.cpu ?? '1'),
      memoryMb: resources.memory === undefined ? null : memoryMb(resources.memory),
      useGpu: resources.use_gpu === true || (resources.accelerator !== undefined && resources.accelerator !== null),
    },
    predictConcurrency: file.predict_concurrency ?? file.runtime?.predict_concurrency ?? 1,
    exampleInput: file.example_input ?? file.model_metadata?.example_model_input ?? null,
    modelMetadata: file.model_metadata ?? {},
    secrets: file.secrets ?? {},
    externalPackageDirs: file.external_package_dirs ?? [],
    environmentVariables: Object.fromEntries(
      Object.entries(file.environment_variables ?? {}).map(([k, v]) => [
        k,
        typeof v === 'boolean' ? String(v).toLowerCase() : String(v),
      ]),
    ),
    dataDir: file.data_dir ?? 'data',
    modelModuleDir: file.model_module_dir ?? 'model',
    modelClassFilename: file.model_class_filename ?? 'model.py',
    modelClassName: file.model_class_name ?? 'Model',
    bundledPackagesDir: file.bundled_packages_dir ?? 'packages',
  };
  // The config is returned with its problems, so later checks (model.py) can list theirs too.
  return { config, problems };
}

function asksForSomething(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** A model's name in URLs: as a graph's. From `model_name` when not given: `"Test Async"` → `test-async`. */
export function modelNameFrom(modelName: string): string {
  const slug = modelName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug;
}
