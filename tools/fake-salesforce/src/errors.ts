// Expected failures as Salesforce reports them: REST errors are a JSON array of
// {message, errorCode, fields?}; OAuth errors are a JSON object {error, error_description}.
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }

  get body(): Array<{ message: string; errorCode: string; fields?: string[] }> {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }

  get body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}

export const invalidSession = () => new RestError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
export const notFound = () => new RestError(404, 'NOT_FOUND', 'The requested resource does not exist');
export const requestLimitExceeded = () => new RestError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

/** "No such column" when an unknown field is written, as the REST API words it (not the SOQL form). */
export const noSuchColumnOnWrite = (field: string, objectName: string) =>
  new RestError(400, 'INVALID_FIELD', `No such column '${field}' on sobject of type ${objectName}`);
