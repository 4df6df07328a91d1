/**
 * The training flag of the innermost running layer call, so nested layers inherit it (Keras
 * passes `training` down implicitly).
 */
interface CallContext {
  training: boolean | undefined;
}

const stack: CallContext[] = [];

export function currentTraining(): boolean | undefined {
  return stack.length === 0 ? undefined : stack[stack.length - 1]!.training;
}

export function withCallContext<T>(ctx: CallContext, fn: () => T): T {
  stack.push(ctx);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}
