/** The parts of a container's `image` that the image checks read: tag and digest. */
export interface ImageParts { tag: string | null; digest: string | null }

export function imageParts(image: string): ImageParts {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : null;
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : null;
  return { tag: tag === '' ? null : tag, digest: digest === '' ? null : digest };
}
