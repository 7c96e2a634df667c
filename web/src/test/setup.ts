import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/react';
import '../i18n';

// jsdom on a shared 2-core machine is slow; waits are for conditions, not timings.
configure({ asyncUtilTimeout: 10_000 });
