import { rpm } from './rpm.js';
import { rpmFixture } from './__fixtures__/rpm.js';
import { describeScheme } from './__fixtures__/describe-scheme.js';

describeScheme(rpm, rpmFixture);
