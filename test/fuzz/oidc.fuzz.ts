import { groups } from './targets/all.ts';
import { fuzzSuite } from './suite.ts';

fuzzSuite('fuzzing: oidc', groups['oidc'] ?? []);
