// The portal's links. Its pages are rendered per request for the signed-in user, so prefetching every link
// in view would render each of those pages on the server on every page view (the navigation alone has a
// dozen); navigation fetches the page on click instead.
import NextLink from "next/link";
import type { ComponentProps } from "react";

export default function Link(props: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={false} {...props} />;
}
