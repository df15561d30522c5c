// pysaml2 (Debian's python3-pysaml2) as a small WSGI service: test/interop/sp/pysaml2_sp.py.
import { startPythonSp } from './helpers/python-sp.ts';
import { bpk2Name, interopSuite } from './helpers/suite.ts';

interopSuite({
  name: 'pysaml2',
  start: (idp, workDir) => startPythonSp('pysaml2_sp.py', idp, workDir, [bpk2Name]),
});
