import { startAzurite } from '@cophub/testing';
import { describeObjectStorage } from './object-storage.cases';

// STORAGE=azure against Azurite, Microsoft's local Azure Blob Storage server, started by the test on a free port.
jest.setTimeout(180_000);

describeObjectStorage('an Azure Blob container (Azurite)', startAzurite);
