import { beijingDateTimeText, beijingInstant, checkBatchSchedule } from './exam-plan';
import { checkPhoto, idNoOfPhotoFile } from './photo-rules';

const SUBJECTS = [
  { subjectCode: 'ZJSW', durationMinutes: 165 },
  { subjectCode: 'CWGL', durationMinutes: 135 },
  { subjectCode: 'JJF', durationMinutes: 120 },
];

describe('考试计划 batch schedule', () => {
  it('accepts subjects that follow each other and refuses an overlap or a missing start time', () => {
    expect(checkBatchSchedule(SUBJECTS, ['08:30', '13:30', '18:00'])).toBeUndefined();
    expect(checkBatchSchedule(SUBJECTS, ['08:30', '11:00', '18:00'])).toEqual({ reason: 'SUBJECTS_OVERLAP', subjectCode: 'CWGL', previous: 'ZJSW' });
    expect(checkBatchSchedule(SUBJECTS, ['08:30', '13:30'])).toEqual({ reason: 'START_TIMES_COUNT', expected: 3, got: 2 });
  });
  it('reads batch times as Beijing time', () => {
    expect(beijingInstant('2026-09-05', '08:30')).toBe('2026-09-05T00:30:00.000Z');
  });
  it('writes an instant as Beijing wall-clock time, across midnight UTC', () => {
    expect(beijingDateTimeText('2026-08-20T02:00:00Z')).toBe('2026-08-20 10:00');
    expect(beijingDateTimeText(new Date('2026-08-19T18:30:00Z'))).toBe('2026-08-20 02:30');
  });
});

describe('报名照片 rules', () => {
  it('accepts a portrait JPEG or PNG within bounds and names the problem otherwise', () => {
    expect(checkPhoto({ type: 'jpg', width: 295, height: 413, bytes: 30_000 })).toBeUndefined();
    expect(checkPhoto({ type: 'png', width: 295, height: 413, bytes: 30_000 })).toBeUndefined();
    expect(checkPhoto({ type: 'gif', width: 295, height: 413, bytes: 30_000 })).toBe('PHOTO_FORMAT');
    expect(checkPhoto({ type: undefined, width: undefined, height: undefined, bytes: 10 })).toBe('PHOTO_NOT_IMAGE');
    expect(checkPhoto({ type: 'jpg', width: 295, height: 413, bytes: 500_000 })).toBe('PHOTO_TOO_LARGE');
    expect(checkPhoto({ type: 'jpg', width: 413, height: 295, bytes: 30_000 })).toBe('PHOTO_DIMENSIONS');
    expect(checkPhoto({ type: 'jpg', width: 50, height: 80, bytes: 3_000 })).toBe('PHOTO_DIMENSIONS');
  });
  it('reads the ID number from the file name', () => {
    expect(idNoOfPhotoFile('photos/11010519491231002x.JPG')).toEqual({ idNo: '11010519491231002X', extension: 'jpg' });
  });
});
