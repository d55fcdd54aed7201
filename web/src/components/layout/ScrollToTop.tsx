import { useEffect } from 'react';
import { useLocation } from 'react-router';

/** New page, top of the page — except when only the gallery's detail overlay changes. */
export function ScrollToTop() {
  const { pathname } = useLocation();
  const section = pathname.split('/')[1] ?? '';
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [section]);
  return null;
}
