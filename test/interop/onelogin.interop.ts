// OneLogin's python3-saml (Debian's python3-onelogin-saml2) as a small WSGI service: test/interop/sp/onelogin_sp.py.
import { startPythonSp } from './helpers/python-sp.ts';
import { bpk2Name, interopSuite } from './helpers/suite.ts';

interopSuite({
  name: 'OneLogin python3-saml',
  start: (idp, workDir) => startPythonSp('onelogin_sp.py', idp, workDir, [bpk2Name]),
});
