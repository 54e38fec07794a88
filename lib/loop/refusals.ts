// The errors a resume is refused with: typed, with a code an app can answer by (a Worker: 400,
// 409). Only runs that resume (and stores) load them.
import { LoopletError } from '../errors.ts';

/** Why a checkpoint cannot be resumed (an app answers 409 for `already_done`, 400 or 422 for the rest). */
export type CheckpointErrorCode = 'not_a_checkpoint' | 'version' | 'corrupt' | 'already_done' | 'other_tools' | 'tampered';

/** A checkpoint that cannot be read or resumed: corrupt, of an unknown version, finished, or changed by someone without the run's secret. */
export class CheckpointError extends LoopletError {
  override readonly name = 'CheckpointError';
  readonly code: CheckpointErrorCode;
  constructor(message: string, code: CheckpointErrorCode = 'corrupt') {
    super(message);
    this.code = code;
  }
}

/** Why a decision was refused (an app answers 409 for `no_pending_call`, a stale decision; 400 for the rest). */
export type DecisionErrorCode = 'no_pending_call' | 'bad_signature' | 'invalid_decision';

/** A decision that answers no pending call, is not approve/reject/edit, or does not carry its call's signature. No tool ran. */
export class DecisionError extends LoopletError {
  override readonly name = 'DecisionError';
  readonly code: DecisionErrorCode;
  constructor(message: string, code: DecisionErrorCode) {
    super(message);
    this.code = code;
  }
}
