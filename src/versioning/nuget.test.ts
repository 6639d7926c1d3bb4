import { nuget } from './nuget.js';
import { nugetFixture } from './__fixtures__/nuget.js';
import { describeScheme } from './__fixtures__/describe-scheme.js';

describeScheme(nuget, nugetFixture);
