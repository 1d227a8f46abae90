import { CodedError } from './coded-error.js';

/** Every configuration error code; such an error stops start-up or the docs build. */
export type ConfigErrorCode = 'undocumented_variable';

/** A variable's metadata lacks what the reference needs to list it. */
export class UndocumentedVariableError extends CodedError {
  readonly code = 'undocumented_variable';
  override readonly name = 'UndocumentedVariableError';
  constructor(
    readonly variable: string,
    readonly missing: 'description' | 'group' | 'type',
  ) {
    super(`environment variable ${variable} has no ${missing}: the configuration reference cannot list it`);
  }
}
