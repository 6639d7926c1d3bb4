import { go } from './go.js';
import { goFixture } from './__fixtures__/go.js';
import { describeScheme } from './__fixtures__/describe-scheme.js';

describeScheme(go, goFixture);
