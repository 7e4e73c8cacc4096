import { Foundation1795339334972 } from './1795339334972-Foundation';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the compiled app, the tests and the
 * migration command all run the same set. Generate new ones with `npm run migration:generate -- Name`.
 */
export const migrations: Function[] = [Foundation1795339334972];
