import { debian } from './debian.js';
import { debianFixture } from './__fixtures__/debian.js';
import { describeScheme } from './__fixtures__/describe-scheme.js';

describeScheme(debian, debianFixture);
