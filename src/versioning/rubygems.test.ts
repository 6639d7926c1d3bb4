import { rubygems } from './rubygems.js';
import { rubygemsFixture } from './__fixtures__/rubygems.js';
import { describeScheme } from './__fixtures__/describe-scheme.js';

describeScheme(rubygems, rubygemsFixture);
