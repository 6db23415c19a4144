// Every kind of input the fuzzers try, by name.
import { COMMAND_LINE } from './command_line.js';
import { FILE_FORMATS } from './file_formats.js';
import type { FuzzFormat } from './harness.js';
import { RUN_FILE_FORMATS } from './run_files.js';

export const FORMATS: Record<string, FuzzFormat> = {
  ...FILE_FORMATS,
  ...RUN_FILE_FORMATS,
  'command line': COMMAND_LINE,
};
