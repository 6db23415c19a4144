// What every entry point does once before anything runs: the tensor methods autograd defines, and
// the export names that printing and checkpoints use for the classes (minifiers rename classes).
import '../autograd/methods.js';
import '../autograd/methods_ops.js';
import * as nnClasses from '../nn/index.js';
import * as optimClasses from '../optim/index.js';
import { nameClasses } from '../util/class_name.js';
import * as modelClasses from './index.js';

nameClasses(nnClasses);
nameClasses(modelClasses);
nameClasses(optimClasses);
