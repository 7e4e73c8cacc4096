import 'reflect-metadata';
import { DataSource } from 'typeorm';
import {
  assertServicesReachable,
  ConfigValidationError,
  dataSourceOptions,
  loadConfig,
  loadDotEnv,
  runMain,
  Sql,
} from '@cophub/core';
import { attachmentFilesAfter } from '@cophub/mail-in';
import { fileVersionsAfter, LocalDiskStorage, migrateFiles, objectStoreFor } from '@cophub/resources';

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/**
 * `npm run storage:migrate [-- --verify-all]`: copies every file that rows point at (resource versions,
 * emailed attachments) from STORAGE_DIR to the bucket or container that STORAGE names. Resumable: objects
 * already there with the row's size and SHA-256 are skipped, so it can be stopped and run again. Verifiable:
 * each copy is read back and hashed, the counts and the checksum comparison are printed, and the exit code is
 * 1 when any file is missing or differs. `--verify-all` also reads back and hashes the objects it skips.
 */
runMain(async () => {
  loadDotEnv();
  const config = loadConfig();
  const store = await objectStoreFor(config);
  if (!store) {
    throw new ConfigValidationError([
      'STORAGE must be s3 or azure (with its settings) to move files from STORAGE_DIR into that store',
    ]);
  }
  await assertServicesReachable(config, { redis: false });
  await store.check();
  const dataSource = new DataSource(
    dataSourceOptions({ url: config.databaseUrl, poolSize: 2, applicationName: 'cophub-storage-migrate' }),
  );
  await dataSource.initialize();
  const sql = new Sql(dataSource);
  const disk = new LocalDiskStorage(config.files.storageDir);
  console.log(`moving files from ${config.files.storageDir} to ${store.location}`);
  let report;
  try {
    report = await migrateFiles(
      disk,
      store,
      [
        (after, limit) => fileVersionsAfter(sql, after, limit),
        (after, limit) => attachmentFilesAfter(sql, after, limit),
      ],
      { verifyAll: process.argv.includes('--verify-all'), log: (line) => console.log(line) },
    );
  } finally {
    await dataSource.destroy();
  }
  console.log(`referenced by rows: ${report.referenced} files (${megabytes(report.bytes)})`);
  console.log(`copied: ${report.copied}; already in the store: ${report.alreadyThere}`);
  console.log(
    `checksums (SHA-256): ${report.checksumsMatched} of ${report.referenced} match their rows; ` +
      `mismatches: ${report.problems.length}`,
  );
  console.log(`summary ${JSON.stringify({ ...report, problems: report.problems.length })}`);
  if (report.problems.length) {
    console.error(
      `${report.problems.length} file(s) are missing or differ (listed above as MISMATCH): keep STORAGE=disk until they are resolved`,
    );
  }
  // The store's client keeps connections alive; the answer is the exit code.
  process.exit(report.problems.length ? 1 : 0);
});
