import { pep440 } from './pep440.js';
import { pep440Fixture } from './__fixtures__/pep440.js';
import { describeScheme } from './__fixtures__/describe-scheme.js';

describeScheme(pep440, pep440Fixture);
