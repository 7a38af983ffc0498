import type { CreatePaper, CreateVenue, RegisterCandidates } from '@kaowu/contracts';
import { withResidentIdCheck } from '@kaowu/exam-domain';

/** A deterministic pseudo-random generator (mulberry32) so fixtures repeat run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平'];

/** A venue of rooms (5×6 seats = 30 each) large enough for `candidates`. */
export function demoVenue(venueCode: string, candidates: number, perRoom = 30): CreateVenue {
  const rooms = Math.max(1, Math.ceil(candidates / perRoom));
  const cols = 6;
  return {
    venueCode,
    name: '贵阳市第一考点（演示）',
    rooms: Array.from({ length: rooms }, (_, i) => ({ roomCode: `R${String(i + 1).padStart(2, '0')}`, name: `第${i + 1}考场`, rows: Math.ceil(perRoom / cols), cols })),
  };
}

export function demoCandidates(venueCode: string, count: number, perRoom = 30, rnd = seededRandom(7)): RegisterCandidates {
  return {
    candidates: Array.from({ length: count }, (_, i) => {
      const room = Math.floor(i / perRoom);
      const birth = `19${70 + (i % 30)}0${1 + (i % 9)}1${i % 10}`;
      const body = `520102${birth}${String(100 + (i % 900)).padStart(3, '0')}`;
      return {
        ticketNo: `2026${String(520100000 + i).padStart(10, '0')}`,
        idNo: withResidentIdCheck(body.slice(0, 17)),
        name: SURNAMES[Math.floor(rnd() * SURNAMES.length)] + GIVEN[Math.floor(rnd() * GIVEN.length)],
        gender: rnd() < 0.5 ? 'M' : 'F',
        venueCode,
        roomCode: `R${String(room + 1).padStart(2, '0')}`,
        seatNo: (i % perRoom) + 1,
      };
    }),
  };
}

/** An objective paper in the shape of the 经济法 paper: 单选, 多选, 判断 with keys. */
export function demoPaper(paperId: string, examCode: string, counts = { single: 10, multiple: 5, judge: 5 }): CreatePaper {
  const items: CreatePaper['items'] = [];
  for (let i = 1; i <= counts.single; i++)
    items.push({
      itemId: `S${i}`, type: 'single', score: 1, stem: `（单选第${i}题）根据会计法律制度的规定，下列表述中正确的是（ ）。`,
      options: ['A', 'B', 'C', 'D'].map((k) => ({ key: k, text: `选项${k}的表述` })), correct: [['A', 'B', 'C', 'D'][i % 4]],
    });
  for (let i = 1; i <= counts.multiple; i++)
    items.push({
      itemId: `M${i}`, type: 'multiple', score: 2, stem: `（多选第${i}题）下列各项中，属于企业资产的有（ ）。`,
      options: ['A', 'B', 'C', 'D'].map((k) => ({ key: k, text: `选项${k}的表述` })), correct: i % 2 ? ['A', 'C'] : ['B', 'C', 'D'],
    });
  for (let i = 1; i <= counts.judge; i++)
    items.push({
      itemId: `J${i}`, type: 'judge', score: 1, stem: `（判断第${i}题）企业应当按照权责发生制确认收入。（ ）`,
      options: [{ key: 'A', text: '正确' }, { key: 'B', text: '错误' }], correct: [i % 2 ? 'A' : 'B'],
    });
  return { paperId, examCode, items };
}
