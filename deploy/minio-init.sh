#!/bin/sh
# docker-compose.yml's `minio-init` step (minio/mc image): creates Albumen's bucket, keeps it
# private, and creates the API's own MinIO user with a policy that reaches that bucket only.
# Idempotent: run on every `docker compose up`; a second run changes nothing (a changed API
# secret in .env is applied to the existing user).
#
# Uses only the shell's builtins and `mc` (the image has little else).
set -eu

: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}"
: "${STORAGE_URL:?}" "${S3_ACCESS_KEY_ID:?}" "${S3_SECRET_ACCESS_KEY:?}"
endpoint="${MINIO_ENDPOINT:-http://minio:9000}"

case "$STORAGE_URL" in
  s3://?*) ;;
  *) echo "minio-init: ALBUMEN_STORAGE_URL must be s3://bucket[/prefix], not $STORAGE_URL" >&2; exit 1 ;;
esac
bucket="${STORAGE_URL#s3://}"
bucket="${bucket%%/*}"

if [ "$S3_ACCESS_KEY_ID" = "$MINIO_ROOT_USER" ]; then
  echo "minio-init: ALBUMEN_S3_ACCESS_KEY_ID must differ from MINIO_ROOT_USER" >&2
  exit 1
fi

mc alias set minio "$endpoint" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "minio/$bucket"
mc anonymous set none "minio/$bucket" >/dev/null

policy=/tmp/albumen-policy.json
printf '%s\n' \
  '{' \
  '  "Version": "2012-10-17",' \
  '  "Statement": [' \
  '    {' \
  '      "Effect": "Allow",' \
  '      "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],' \
  "      \"Resource\": [\"arn:aws:s3:::$bucket\"]" \
  '    },' \
  '    {' \
  '      "Effect": "Allow",' \
  '      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",' \
  '                 "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],' \
  "      \"Resource\": [\"arn:aws:s3:::$bucket/*\"]" \
  '    }' \
  '  ]' \
  '}' >"$policy"
mc admin policy create minio albumen-rw "$policy" >/dev/null
mc admin user add minio "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY" >/dev/null
case "$(mc admin user info minio "$S3_ACCESS_KEY_ID")" in
  *albumen-rw*) ;;
  *) mc admin policy attach minio albumen-rw --user "$S3_ACCESS_KEY_ID" >/dev/null ;;
esac
echo "minio-init: bucket $bucket ready; user $S3_ACCESS_KEY_ID may read and write it"
