package org.kfm.tasks.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How a Range header reads against a file of 100 bytes. */
class ByteRangeTest {
  private static final long TOTAL = 100;

  @ParameterizedTest(name = "{0} -> bytes {1}-{2}")
  @CsvSource({
    "bytes=0-9, 0, 9",
    "bytes=10-, 10, 99",
    "bytes=-5, 95, 99",
    "bytes=-500, 0, 99",
    "bytes=90-1000, 90, 99",
    "bytes=99-99, 99, 99",
    "'  BYTES=1-2 ', 1, 2"
  })
  void oneRangeGivesThosePartOfTheFile(String header, long first, long last) {
    assertThat(ByteRange.of(header, TOTAL)).isEqualTo(new ByteRange.Part(first, last));
  }

  @ParameterizedTest(name = "{0} is unsatisfiable")
  @ValueSource(strings = {"bytes=100-", "bytes=100-200", "bytes=-0"})
  void aRangeOutsideTheFileIsUnsatisfiable(String header) {
    assertThat(ByteRange.of(header, TOTAL)).isInstanceOf(ByteRange.Unsatisfiable.class);
  }

  @ParameterizedTest(name = "{0} is ignored")
  @ValueSource(
      strings = {
        "bytes=0-1,5-6",
        "bytes=9-2",
        "items=0-1",
        "bytes=a-b",
        "bytes=-",
        "bytes=1234567890123456789-",
        "bytes=0-1;x"
      })
  void severalRangesAndHeadersItCannotReadGiveTheWholeFile(String header) {
    assertThat(ByteRange.of(header, TOTAL)).isInstanceOf(ByteRange.Whole.class);
  }

  @Test
  void noHeaderGivesTheWholeFile() {
    assertThat(ByteRange.of(null, TOTAL)).isInstanceOf(ByteRange.Whole.class);
  }

  @Test
  void anEmptyFileHasNoSuffixToServe() {
    assertThat(ByteRange.of("bytes=-1", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThat(ByteRange.of("bytes=0-", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
  }

  @Test
  void aPartNamesItsBytesAndTheTotal() {
    ByteRange.Part part = new ByteRange.Part(10, 19);

    assertThat(part.length()).isEqualTo(10);
    assertThat(part.contentRange(TOTAL)).isEqualTo("bytes 10-19/100");
    assertThat(ByteRange.Unsatisfiable.contentRange(TOTAL)).isEqualTo("bytes */100");
  }

  @Test
  void ifNoneMatchHitsTheTagInAListWeakOrStar() {
    String tag = EntityTags.of("abc");

    assertThat(EntityTags.noneMatchHits("\"abc\"", tag)).isTrue();
    assertThat(EntityTags.noneMatchHits("\"x\", W/\"abc\"", tag)).isTrue();
    assertThat(EntityTags.noneMatchHits("*", tag)).isTrue();
    assertThat(EntityTags.noneMatchHits("\"abd\"", tag)).isFalse();
    assertThat(EntityTags.noneMatchHits(null, tag)).isFalse();
  }

  @Test
  void ifRangeWithAnotherTagOrADateMeansTheWholeFile() {
    String tag = EntityTags.of("abc");

    assertThat(EntityTags.rangeApplies(null, tag)).isTrue();
    assertThat(EntityTags.rangeApplies("\"abc\"", tag)).isTrue();
    assertThat(EntityTags.rangeApplies("\"old\"", tag)).isFalse();
    assertThat(EntityTags.rangeApplies("Wed, 21 Oct 2015 07:28:00 GMT", tag)).isFalse();
  }
}
