/**
 * `npm run bench`: every benchmark, printed as tables with ratios measured in the same run.
 * Set BENCH_SIZES=10000,100000 (default) to choose table sizes.
 */
import {benchDump, printDumpTable} from './dump.js';

const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
printDumpTable(sizes.map((n) => benchDump(n)));
