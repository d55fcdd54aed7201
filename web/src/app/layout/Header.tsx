import {
  Folders,
  Images,
  Menu,
  ShieldCheck,
  Sparkles,
  Trash2,
  UserRound,
  X,
  LogOut,
} from 'lucide-react';
import { useState } from 'react';
import { Link, NavLink, useLocation } from 'react-router';
import { useAuth } from '../../features/auth/AuthContext';
import { UserMenu } from '../../features/auth/components/UserMenu';
import { buttonClasses } from '../../components/ui/buttonStyles';
import { Logo } from '../../components/layout/Logo';
import { useConfig } from '../../lib/config';
import { cn } from '../../utils/cn';
import { UsageMeter } from './UsageMeter';

const NAV = [
  { to: '/generate', label: 'Generate', Icon: Sparkles },
  { to: '/gallery', label: 'Gallery', Icon: Images },
  { to: '/collections', label: 'Collections', Icon: Folders },
  { to: '/trash', label: 'Trash', Icon: Trash2 },
];
/** Only for the accounts the server counts as admins (`admin` in GET /api/me). */
const ADMIN_NAV = { to: '/admin', label: 'Admin', Icon: ShieldCheck };

function navClass({ isActive }: { isActive: boolean }) {
  return cn(
    'inline-flex items-center gap-2 rounded-xl px-3 py-2 text-sm font-medium transition',
    isActive
      ? 'bg-zinc-900/5 text-zinc-900 dark:bg-white/10 dark:text-white'
      : 'text-zinc-600 hover:bg-zinc-900/5 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-white/5 dark:hover:text-white',
  );
}

export function Header() {
  const auth = useAuth();
  const location = useLocation();
  // The menu belongs to the page it was opened on: navigating closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const mobileOpen = openOn === location.pathname;
  const setMobileOpen = (open: boolean) => setOpenOn(open ? location.pathname : null);

  const signedIn = auth.status === 'signed-in' && auth.user;
  const config = useConfig();
  const priced = config.data?.generation.models.some((m) => m.price_per_megapixel_usd > 0) ?? false;
  const usage = signedIn ? auth.usage : null;
  const nav = signedIn && auth.admin === true ? [...NAV, ADMIN_NAV] : NAV;
  // Icons alone while the bar is narrow (the names are still read); five names need a wider one.
  const labelClass = nav.length > NAV.length ? 'sr-only lg:not-sr-only' : 'sr-only md:not-sr-only';

  return (
    <header className="sticky top-0 z-30 border-b border-zinc-200/80 bg-white/80 backdrop-blur-lg dark:border-zinc-800/80 dark:bg-zinc-950/75">
      <div className="mx-auto flex h-16 max-w-6xl items-center gap-4 px-4 sm:px-6">
        <Logo />
        <nav aria-label="Main" className="ml-4 hidden items-center gap-1 sm:flex">
          {nav.map(({ to, label, Icon }) => (
            <NavLink key={to} to={to} className={navClass} title={label}>
              <Icon className="size-4" aria-hidden="true" />
              <span className={labelClass}>{label}</span>
            </NavLink>
          ))}
        </nav>
        <div className="ml-auto hidden items-center gap-2 sm:flex">
          {usage && <UsageMeter usage={usage} priced={priced} />}
          {signedIn && auth.views ? (
            <auth.views.UserButton />
          ) : signedIn ? (
            <UserMenu user={auth.user!} />
          ) : auth.status === 'signed-out' ? (
            <>
              <Link to="/sign-in" className={buttonClasses('ghost', 'sm')}>
                Sign in
              </Link>
              <Link to="/sign-up" className={buttonClasses('primary', 'sm')}>
                Get started
              </Link>
            </>
          ) : (
            <div className="h-9 w-32 animate-shimmer rounded-full bg-zinc-200 dark:bg-zinc-800" />
          )}
        </div>
        <button
          type="button"
          className={buttonClasses('ghost', 'icon', 'ml-auto sm:hidden')}
          aria-expanded={mobileOpen}
          aria-controls="mobile-nav"
          onClick={() => setMobileOpen(!mobileOpen)}
        >
          {mobileOpen ? (
            <X className="size-5" aria-hidden="true" />
          ) : (
            <Menu className="size-5" aria-hidden="true" />
          )}
          <span className="sr-only">{mobileOpen ? 'Close menu' : 'Open menu'}</span>
        </button>
      </div>
      {mobileOpen && (
        <nav
          id="mobile-nav"
          aria-label="Mobile"
          className="border-t border-zinc-200 px-4 pb-4 pt-2 sm:hidden dark:border-zinc-800"
        >
          <ul className="flex flex-col gap-1">
            {nav.map(({ to, label, Icon }) => (
              <li key={to}>
                <NavLink to={to} className={(s) => cn(navClass(s), 'w-full py-3')}>
                  <Icon className="size-4" aria-hidden="true" />
                  {label}
                </NavLink>
              </li>
            ))}
            {signedIn ? (
              <>
                {usage && (
                  <li>
                    <UsageMeter usage={usage} priced={priced} className="w-full py-3" />
                  </li>
                )}
                <li>
                  <NavLink to="/profile" className={(s) => cn(navClass(s), 'w-full py-3')}>
                    <UserRound className="size-4" aria-hidden="true" />
                    Profile
                  </NavLink>
                </li>
                <li>
                  <button
                    type="button"
                    className={cn(navClass({ isActive: false }), 'w-full py-3')}
                    onClick={async () => {
                      await auth.signOut();
                    }}
                  >
                    <LogOut className="size-4" aria-hidden="true" />
                    Sign out
                  </button>
                </li>
              </>
            ) : (
              <li className="mt-2 grid grid-cols-2 gap-2">
                <Link to="/sign-in" className={buttonClasses('secondary', 'md')}>
                  Sign in
                </Link>
                <Link to="/sign-up" className={buttonClasses('primary', 'md')}>
                  Get started
                </Link>
              </li>
            )}
          </ul>
        </nav>
      )}
    </header>
  );
}
