package org.kfm.tasks.api.input;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Writes {@code <}, {@code >}, {@code &} and {@code '} in JSON strings as Unicode escapes
 * (backslash-u and four hex digits). The values a client reads back are unchanged, but text a user
 * submitted can never appear as markup in a response, whatever a browser, a proxy's error page or a
 * log viewer makes of it.
 */
@Singleton
public class HtmlSafeJson implements ObjectMapperCustomizer {
  @Override
  public void customize(ObjectMapper mapper) {
    mapper.getFactory().setCharacterEscapes(new Escapes());
  }

  private static final class Escapes extends CharacterEscapes {
    private final int[] escapes;

    Escapes() {
      escapes = standardAsciiEscapesForJSON();
      for (char c : new char[] {'<', '>', '&', '\''}) {
        escapes[c] = ESCAPE_STANDARD;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
