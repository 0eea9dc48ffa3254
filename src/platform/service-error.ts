// The expected failures of the chat domain, as values with a code. The API maps each code to
// an HTTP status in one place (src/api/chat/errors.ts); the CLI prints the message.

export type ServiceErrorCode = 'invalid_input' | 'unauthorized' | 'not_found' | 'forbidden' | 'conflict';

/** One bad field of an input, named as a path a client can find ("conversations[3].startedAt"). */
export interface FieldError {
  field: string;
  message: string;
}

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export const invalidField = (field: string, message: string) =>
  new ServiceError('invalid_input', `${field}: ${message}`, [{ field, message }]);
