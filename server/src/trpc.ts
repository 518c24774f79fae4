import { initTRPC, TRPCError } from '@trpc/server';
import { ERROR_STATUS, PlinthError, type PlinthErrorBody } from '@plinth/shared';
import { assertAdmin } from './auth.ts';
import { isDatabaseUnavailable } from './db/database.ts';
import type { Context } from './context.ts';

type TrpcCode = TRPCError['code'];

const CODE_BY_STATUS: Record<number, TrpcCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'UNPROCESSABLE_CONTENT',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** The PlinthError body the IDE reads from `error.data.plinth`, for every error. */
function plinthBody(error: TRPCError): PlinthErrorBody {
  const cause = error.cause;
  if (cause instanceof PlinthError) return cause.toJSON();
  const issues = (cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined)?.issues;
  if (error.code === 'BAD_REQUEST' && Array.isArray(issues)) {
    const problems = issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return {
      code: 'bad_request',
      message: `the request does not have the expected shape: ${problems[0]?.message ?? ''}`,
      problems,
    };
  }
  switch (error.code) {
    case 'INTERNAL_SERVER_ERROR':
      return { code: 'internal', message: 'the server hit an unexpected error; its log has the details' };
    case 'PAYLOAD_TOO_LARGE':
      return {
        code: 'payload_too_large',
        message: "the request body is larger than the server's limit; the PLINTH_MAX_BODY_BYTES setting changes it",
        setting: 'PLINTH_MAX_BODY_BYTES',
      };
    case 'PARSE_ERROR':
      return { code: 'invalid_json', message: `the request is not valid JSON: ${error.message}` };
    case 'NOT_FOUND':
      return { code: 'not_found', message: error.message };
    case 'UNAUTHORIZED':
      return { code: 'unauthorized', message: error.message };
    case 'FORBIDDEN':
      return { code: 'forbidden', message: error.message };
    default:
      return { code: 'bad_request', message: error.message };
  }
}

const t = initTRPC.context<Context>().create({
  // Never send server stack traces to the browser; the error body says what to do.
  isDev: false,
  errorFormatter({ shape, error }) {
    const plinth = plinthBody(error);
    return { ...shape, message: plinth.message, data: { ...shape.data, plinth } };
  },
});

/** Turns a PlinthError into the TRPCError with the matching HTTP status, keeping it as the cause. */
const plinthErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDatabaseUnavailable(result.error.cause)) {
    throw new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the database cannot be reached right now; try again shortly',
      cause: new PlinthError('database_unavailable', 'the database cannot be reached right now; try again shortly'),
    });
  }
  if (!result.ok && result.error.cause instanceof PlinthError) {
    const cause = result.error.cause;
    throw new TRPCError({
      code: CODE_BY_STATUS[ERROR_STATUS[cause.code]] ?? 'INTERNAL_SERVER_ERROR',
      message: cause.message,
      cause,
    });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(plinthErrors);

/** Needs the admin token: UNAUTHORIZED without one, FORBIDDEN with a wrong one. */
export const adminProcedure = publicProcedure.use(({ ctx, next }) => {
  assertAdmin(ctx.caller);
  return next();
});
