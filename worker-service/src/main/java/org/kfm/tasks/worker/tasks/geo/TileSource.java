package org.kfm.tasks.worker.tasks.geo;

import java.io.IOException;
import org.kfm.tasks.contracts.geo.Tile;

/** Makes the PNG bytes of one tile of a layer; called from several threads at once. */
interface TileSource {
  byte[] tile(Tile tile) throws IOException, InterruptedException;
}
