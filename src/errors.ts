// Errors and warnings, named as scikit-learn names them so users recognize them.

/** A parameter broke its rule; `parameter` names it. (scikit-learn: InvalidParameterError / ValueError.) */
export class InvalidParameterError extends Error {
  override readonly name = 'InvalidParameterError';
  constructor(readonly parameter: string, message: string) {
    super(message);
  }
}

/** The fit could not run or produced something unusable (NaN loss, lost device, …). */
export class NMFError extends Error {
  override readonly name = 'NMFError';
}

export type WarningCategory = 'ConvergenceWarning' | 'UserWarning' | 'RuntimeWarning';

export interface NMFWarning {
  category: WarningCategory;
  message: string;
}

export type WarningHandler = (warning: NMFWarning) => void;

/** Default handler: one console warning, as Python's warnings module prints one. */
export const consoleWarning: WarningHandler = (w) => console.warn(`${w.category}: ${w.message}`);
