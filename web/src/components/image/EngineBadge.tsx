import { Cpu, Zap } from 'lucide-react';
import type { ProviderId } from '../../types/api';
import { Badge } from '../ui/Badge';
import { cn } from '../../utils/cn';
import { engineLabel } from '../../utils/format';

/** Says which engine made an image, so offline previews are never mistaken for FLUX. */
export function EngineBadge({ provider, className }: { provider: ProviderId; className?: string }) {
  const offline = provider === 'offline';
  const Icon = offline ? Cpu : Zap;
  return (
    <Badge
      className={cn(
        offline
          ? 'border-amber-300/70 bg-amber-50 text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200'
          : 'border-brand-300/70 bg-brand-50 text-brand-700 dark:border-brand-500/30 dark:bg-brand-500/10 dark:text-brand-300',
        className,
      )}
    >
      <Icon className="size-3" aria-hidden="true" />
      {engineLabel(provider)}
    </Badge>
  );
}
