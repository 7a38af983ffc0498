import type { CandidateLoginAck } from '@kaowu/contracts';
import { useT } from './use-t';

/** 考生照片 from the roster; the surname in a frame when the roster has none. */
export function CandidatePhotoView({ candidate, className }: { candidate: CandidateLoginAck['candidate']; className: string }) {
  const t = useT();
  const label = `${t('exam.candidatePhoto')}：${candidate.name}`;
  if (candidate.photo)
    return <img className={className} src={`data:${candidate.photo.mediaType};base64,${candidate.photo.data}`} alt={label} draggable={false} />;
  return (
    <span className={className} role="img" aria-label={label}>
      {candidate.name.slice(0, 1)}
    </span>
  );
}
