#!/usr/bin/env node
'use strict';
// The compiled CLI; run `npm run build` first (the README's commands do).
require('../dist/apps/cli/src/main.js');
