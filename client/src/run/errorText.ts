/**
 * A node error as one line. The runner's `message` already reads like Python's own last line
 * (`KeyError: 'amount'`), so the type is put in front only when the message does not start with it.
 */
export function errorText(error: { type?: string | undefined; message: string }): string {
  const { type, message } = error;
  if (type === undefined || type === '') return message;
  if (message === type || message.startsWith(`${type}:`)) return message;
  return `${type}: ${message}`;
}
