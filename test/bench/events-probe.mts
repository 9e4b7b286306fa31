/**
 * Runs inside a bench namespace: follows events with conntop's EventStream for a while and
 * prints {events, news, lost, first, last} as JSON (no per-event output, which would be the
 * bottleneck being measured).
 */
import {EventStream} from '../../source/kernel/events.js';

const ms = Number(process.argv[2] ?? 5000);
const stream = new EventStream();
let events = 0;
let news = 0;
let lost = 0;
let first = 0;
let last = 0;
stream.on('event', (event) => {
	events++;
	if (event.type === 'new') news++;
	last = performance.now();
	if (first === 0) first = last;
});
stream.on('resync', () => lost++);
stream.on('ready', (buffer) => {
	console.log(JSON.stringify({ready: buffer}));
	setTimeout(() => {
		stream.stop();
		console.log(JSON.stringify({events, news, lost, ms: last - first}));
	}, ms);
});
