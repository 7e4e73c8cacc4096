import { startS3rver } from '@cophub/testing';
import { describeObjectStorage } from './object-storage.cases';

// STORAGE=s3 against s3rver, a real S3-compatible server started by the test on a free port.
jest.setTimeout(180_000);

describeObjectStorage('an S3 bucket (s3rver)', startS3rver);
