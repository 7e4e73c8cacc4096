import { handleProblem, isReservedHandle, RESERVED_HANDLES, reservedSkeleton } from './handle';

describe('reserved handles, compared as a handle reads', () => {
  it('reads digits as the letters they resemble, ignoring case and separators', () => {
    expect(reservedSkeleton('Adm_1n')).toBe('admin');
    expect(reservedSkeleton('f0rmer-member')).toBe('formermember');
    expect(reservedSkeleton('EV3RY.0NE')).toBe('everyone');
    expect(reservedSkeleton('rnod')).toBe('mod');
    expect(reservedSkeleton('he1p', 'l')).toBe('help');
    expect(reservedSkeleton('he1p', 'i')).toBe('heip');
  });

  it('refuses look-alikes of every reserved word', () => {
    for (const word of RESERVED_HANDLES)
      expect({ word, reserved: isReservedHandle(word) }).toEqual({ word, reserved: true });
    for (const handle of [
      'adm1n',
      'c0chair',
      'every0ne',
      'f0rmer-member',
      'a11',
      'ALL',
      'aII',
      'm0d',
      'n_h_s',
      'sup-p0rt',
    ]) {
      expect({ handle, reserved: isReservedHandle(handle) }).toEqual({ handle, reserved: true });
      expect(handleProblem(handle)).toMatch(/reserved/);
    }
  });

  it('lets through names that only share letters with a reserved word', () => {
    for (const handle of ['ali', 'chanel', 'admin12', 'modest', 'hereford', 'nhs-leeds', 'sam-oneill', 'allan']) {
      expect({ handle, reserved: isReservedHandle(handle) }).toEqual({ handle, reserved: false });
      expect(handleProblem(handle)).toBeNull();
    }
  });
});
