import { Foundation1795339334972 } from './1795339334972-Foundation';
import { Notifications1795339911860 } from './1795339911860-Notifications';
import { Polls1795424667110 } from './1795424667110-Polls';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the compiled app, the tests and the
 * migration command all run the same set. Generate new ones with `npm run migration:generate -- Name`.
 */
export const migrations: Function[] = [Foundation1795339334972, Notifications1795339911860, Polls1795424667110];
