/**
 * What a request will cost before it is sent: the server charges each image
 * its size in megapixels times the model's price per megapixel.
 */
export function expectedCostUsd(
  request: { n: number; width: number; height: number },
  pricePerMegapixelUsd: number,
): number {
  return ((request.n * request.width * request.height) / 1e6) * pricePerMegapixelUsd;
}
