import { alpine } from './alpine.js';
import { alpineFixture } from './__fixtures__/alpine.js';
import { describeScheme } from './__fixtures__/describe-scheme.js';

describeScheme(alpine, alpineFixture);
