// CloudFront viewer-request function (runtime cloudfront-js-2.0) for the
// image files of a distribution whose origin is the images bucket, when the
// server runs with CDN_BASE_URL and CDN_SIGNING_SECRET. It serves a file only
// for a URL the server signed that has not expired, as S3 does for presigned
// URLs: a deleted image's URL stops working when it expires. Deploy it with
// the secret in place of the placeholder (see README, "CDN").
var crypto = require('crypto');

var SECRET = '__CDN_SIGNING_SECRET__';

function refuse() {
  return {
    statusCode: 403,
    statusDescription: 'Forbidden',
    headers: { 'cache-control': { value: 'no-store' } },
  };
}

function handler(event) {
  var request = event.request;
  var query = request.querystring;
  var expires = query.exp && query.exp.value;
  var signature = query.sig && query.sig.value;
  if (!expires || !signature || !/^[0-9]{1,12}$/.test(expires) || !/^[0-9a-f]{32}$/.test(signature)) {
    return refuse();
  }
  if (Number(expires) <= Math.floor(Date.now() / 1000)) {
    return refuse();
  }
  var expected = crypto
    .createHmac('sha256', SECRET)
    .update(request.uri + '\n' + expires)
    .digest('hex')
    .substring(0, 32);
  // Compared in full whatever the first difference, so timing tells nothing.
  var difference = 0;
  for (var i = 0; i < 32; i++) {
    difference |= expected.charCodeAt(i) ^ signature.charCodeAt(i);
  }
  if (difference !== 0) {
    return refuse();
  }
  // One cached copy per file: the check above runs on every request, before
  // the cache, so the signature need not be part of the cache key.
  request.querystring = {};
  return request;
}
