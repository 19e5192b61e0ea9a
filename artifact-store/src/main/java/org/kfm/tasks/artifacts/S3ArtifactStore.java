package org.kfm.tasks.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Keeps each object in one bucket of an S3-compatible service. A single PutObject replaces an
 * object atomically, so no temporary keys are needed. SDK failures surface as {@link IOException}
 * like the filesystem store's.
 */
public final class S3ArtifactStore implements ArtifactStore {
  static final String DEFAULT_REGION = "us-east-1";
  private static final int MAX_KEYS_PER_DELETE = 1000;
  private static final int HTTP_RANGE_NOT_SATISFIABLE = 416;
  private static final int HTTP_NOT_FOUND = 404;

  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final AwsCredentialsProvider credentials;
  private final int batchSize;

  S3ArtifactStore(
      S3Client s3,
      S3Presigner presigner,
      String bucket,
      AwsCredentialsProvider credentials,
      int batchSize) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.credentials = credentials;
    this.batchSize = batchSize;
  }

  /** A store for {@code config.s3Bucket()}, holding its own client until {@link #close()}. */
  public static S3ArtifactStore create(ArtifactStoreConfig config) {
    return create(config, MAX_KEYS_PER_DELETE);
  }

  static S3ArtifactStore create(ArtifactStoreConfig config, int batchSize) {
    if (config.s3Bucket() == null || config.s3Bucket().isBlank()) {
      throw new IllegalArgumentException("artifact store kind 's3' needs a bucket (s3Bucket)");
    }
    Region region =
        Region.of(
            config.s3Region() == null || config.s3Region().isBlank()
                ? DEFAULT_REGION
                : config.s3Region());
    AwsCredentialsProvider credentials = credentials(config);
    S3ClientBuilder client =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(region)
            .credentialsProvider(credentials)
            .forcePathStyle(config.s3PathStyle());
    S3Presigner.Builder presigner =
        S3Presigner.builder()
            .region(region)
            .credentialsProvider(credentials)
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(config.s3PathStyle()).build());
    if (config.s3Endpoint() != null) {
      client.endpointOverride(config.s3Endpoint());
      presigner.endpointOverride(config.s3Endpoint());
    }
    return new S3ArtifactStore(
        client.build(), presigner.build(), config.s3Bucket(), credentials, batchSize);
  }

  private static AwsCredentialsProvider credentials(ArtifactStoreConfig config) {
    if (config.s3AccessKey() == null || config.s3AccessKey().isBlank()) {
      return DefaultCredentialsProvider.builder().build();
    }
    if (config.s3SecretKey() == null || config.s3SecretKey().isBlank()) {
      throw new IllegalArgumentException("s3AccessKey is set but s3SecretKey is missing");
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(config.s3AccessKey(), config.s3SecretKey()));
  }

  @Override
  public void put(String key, Path file, String contentType) throws IOException {
    StoreKeys.requireKey(key);
    long length = Files.size(file);
    PutObjectRequest request =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType(contentType == null ? "application/octet-stream" : contentType)
            .contentLength(length)
            .build();
    try {
      s3.putObject(request, RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw failed("put", key, e);
    }
  }

  @Override
  public InputStream open(String key, long offset, long length) throws IOException {
    StoreKeys.requireKey(key);
    FileSystemArtifactStore.requireRange(offset, length);
    if (length == 0) {
      // "bytes=x-(x-1)" is no valid range; the key must still exist.
      if (size(key).isEmpty()) {
        throw new NoSuchFileException(key);
      }
      return InputStream.nullInputStream();
    }
    long last = length > Long.MAX_VALUE - offset ? Long.MAX_VALUE : offset + length - 1;
    GetObjectRequest request =
        GetObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .range("bytes=" + offset + "-" + last)
            .build();
    try {
      return s3.getObject(request);
    } catch (NoSuchKeyException e) {
      throw noSuchFile(key, e);
    } catch (S3Exception e) {
      // The object exists but starts before offset: like reading a file past its end.
      if (e.statusCode() == HTTP_RANGE_NOT_SATISFIABLE) {
        return InputStream.nullInputStream();
      }
      throw failed("get", key, e);
    } catch (SdkException e) {
      throw failed("get", key, e);
    }
  }

  @Override
  public OptionalLong size(String key) throws IOException {
    StoreKeys.requireKey(key);
    try {
      return OptionalLong.of(s3.headObject(r -> r.bucket(bucket).key(key)).contentLength());
    } catch (NoSuchKeyException e) {
      return OptionalLong.empty();
    } catch (S3Exception e) {
      // HEAD answers carry no error body, so a 404 may not arrive as NoSuchKeyException.
      if (e.statusCode() == HTTP_NOT_FOUND) {
        return OptionalLong.empty();
      }
      throw failed("head", key, e);
    } catch (SdkException e) {
      throw failed("head", key, e);
    }
  }

  @Override
  public Optional<URI> presignedGet(String key, Duration ttl) {
    StoreKeys.requireKey(key);
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    var presigned =
        presigner.presignGetObject(
            r -> r.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)));
    try {
      return Optional.of(presigned.url().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("presigner made an invalid URL", e);
    }
  }

  @Override
  public void deleteAll(String prefix) throws IOException {
    StoreKeys.requirePrefix(prefix);
    try {
      // Pages continue after the last key listed, so deleting behind the listing is safe.
      List<ObjectIdentifier> batch = new ArrayList<>();
      for (S3Object object :
          s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix).maxKeys(batchSize))
              .contents()) {
        batch.add(ObjectIdentifier.builder().key(object.key()).build());
        if (batch.size() == batchSize) {
          deleteBatch(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        deleteBatch(batch);
      }
    } catch (SdkException e) {
      throw failed("delete", prefix, e);
    }
  }

  @Override
  public Stream<StoredObject> list(String prefix) {
    StoreKeys.requirePrefix(prefix);
    // Pages are fetched as the stream is consumed; SDK failures arrive while iterating.
    Iterator<S3Object> objects =
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix).maxKeys(batchSize))
            .contents()
            .iterator();
    Iterator<StoredObject> listing =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            try {
              return objects.hasNext();
            } catch (SdkException e) {
              throw new UncheckedIOException(failed("list", prefix, e));
            }
          }

          @Override
          public StoredObject next() {
            S3Object object;
            try {
              object = objects.next();
            } catch (SdkException e) {
              throw new UncheckedIOException(failed("list", prefix, e));
            }
            return new StoredObject(object.key(), object.size(), object.lastModified());
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            listing, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT),
        false);
  }

  /** DeleteObjects of up to a thousand keys a request; S3 reports a missing key as deleted. */
  @Override
  public void delete(Collection<String> keys) throws IOException {
    List<ObjectIdentifier> batch = new ArrayList<>();
    for (String key : keys) {
      batch.add(ObjectIdentifier.builder().key(StoreKeys.requireKey(key)).build());
    }
    try {
      for (int from = 0; from < batch.size(); from += batchSize) {
        deleteBatch(batch.subList(from, Math.min(batch.size(), from + batchSize)));
      }
    } catch (SdkException e) {
      throw failed("delete", keys.size() + " keys", e);
    }
  }

  private void deleteBatch(List<ObjectIdentifier> batch) throws IOException {
    DeleteObjectsResponse response =
        s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
    if (response.hasErrors() && !response.errors().isEmpty()) {
      S3Error first = response.errors().get(0);
      throw new IOException(
          "s3 could not delete "
              + response.errors().size()
              + " object(s), first "
              + first.key()
              + ": "
              + first.code()
              + " "
              + first.message());
    }
  }

  @Override
  public String kind() {
    return "s3";
  }

  @Override
  public void close() {
    presigner.close();
    s3.close();
    if (credentials instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // nothing left to release
      }
    }
  }

  private IOException failed(String operation, String key, SdkException e) {
    return new IOException("s3 " + operation + " of '" + key + "' in " + bucket + " failed", e);
  }

  private static NoSuchFileException noSuchFile(String key, Exception cause) {
    NoSuchFileException e = new NoSuchFileException(key);
    e.initCause(cause);
    return e;
  }
}
