package org.kfm.tasks.api.tile;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.kfm.tasks.api.job.ParamsCheck;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.geo.TileWarmRequest;

/**
 * Refuses a {@code geo.tile_cache_warm} submission that could not run here: edges or zooms in the
 * wrong order, a layer this deployment lacks, more tiles than one job may cover. The tile count is
 * the same code the worker uses ({@link TileWarmRequest}).
 */
@ApplicationScoped
public class TileWarmCheck implements ParamsCheck {
  private final TilesConfig config;

  public TileWarmCheck(TilesConfig config) {
    this.config = config;
  }

  @Override
  public String task() {
    return "geo.tile_cache_warm";
  }

  @Override
  public List<FieldError> check(JsonNode params) {
    return TileWarmRequest.of(params).problems(config.layers().keySet(), config.maxTilesPerJob());
  }
}
