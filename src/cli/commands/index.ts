import { train } from './train.js';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
  train: { summary: 'train a model from the zoo, checkpointing into a run directory', run: train },
};
