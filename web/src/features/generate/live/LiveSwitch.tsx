import { useId } from 'react';
import { Switch } from '../../../components/ui/Switch';

/** Live mode's on/off switch, with what it does beside it. */
export function LiveSwitch({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const hintId = useId();
  return (
    <div className="flex items-center justify-between gap-3">
      <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
        Drafts appear as you type, at the fastest settings.
      </p>
      <Switch checked={checked} onChange={onChange} describedBy={hintId}>
        Live
      </Switch>
    </div>
  );
}
