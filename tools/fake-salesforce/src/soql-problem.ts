// A problem found in a SOQL statement, turned into the error Salesforce sends: the query line,
// a caret under the culprit, "ERROR at Row:r:Column:c", and the explanation.
import { RestError } from './errors';

type Clause = 'SELECT' | 'FROM' | 'WHERE' | 'ORDER BY';

const CUSTOM_FIELD_HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. " +
  'Please reference your WSDL or the describe call for the appropriate names.';
const CUSTOM_OBJECT_HINT =
  "If you are attempting to use a custom object, be sure to append the '__c' after the entity name. " +
  'Please reference your WSDL or the describe call for the appropriate names.';

export class SoqlProblem extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly near?: string,
    readonly clause?: Clause,
  ) {
    super(message);
  }

  static malformed(message: string, near?: unknown): SoqlProblem {
    return new SoqlProblem('MALFORMED_QUERY', message, typeof near === 'string' ? near : undefined);
  }

  /** Valid SOQL that this test double does not implement: said plainly, never passed off as Salesforce's answer. */
  static unsupported(what: string): SoqlProblem {
    return new SoqlProblem('MALFORMED_QUERY', `fake-salesforce (a test double) does not support ${what}`);
  }

  static noSuchColumn(field: string, objectName: string, clause: Clause): SoqlProblem {
    return new SoqlProblem(
      'INVALID_FIELD',
      `No such column '${field}' on entity '${objectName}'. ${CUSTOM_FIELD_HINT}`,
      field,
      clause,
    );
  }

  static invalidType(objectName: string): SoqlProblem {
    return new SoqlProblem(
      'INVALID_TYPE',
      `sObject type '${objectName}' is not supported. ${CUSTOM_OBJECT_HINT}`,
      objectName,
      'FROM',
    );
  }

  static invalidField(message: string, near: string): SoqlProblem {
    return new SoqlProblem('INVALID_FIELD', message, near, 'WHERE');
  }

  toRestError(soql: string): RestError {
    const offset = this.locate(soql);
    const before = soql.slice(0, offset);
    const row = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    const line = soql.split('\n')[row - 1] ?? soql;
    return new RestError(
      400,
      this.errorCode,
      `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${this.message}`,
    );
  }

  /** Where the culprit starts: its first whole-word occurrence after its clause's keyword. */
  private locate(soql: string): number {
    if (this.near === undefined) return 0;
    const from = this.clause ? Math.max(0, soql.toUpperCase().indexOf(this.clause)) : 0;
    const escaped = this.near.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const re = new RegExp(`(^|[^A-Za-z0-9_.'])(${escaped})(?![A-Za-z0-9_])`, 'gi');
    re.lastIndex = from;
    const m = re.exec(soql);
    return m ? m.index + m[1]!.length : 0;
  }
}
