package io.tinyalloc.strategies;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URL;

/**
 * Loads a provider's default settings from a HOCON resource next to the provider class, where
 * every key is written with its default and a comment.
 */
final class Defaults {

    private Defaults() {
    }

    /**
     * Parses the resource {@code resourceName} of {@code owner}'s package.
     *
     * <p>{@link Class#getResource} finds the resource on the module path too: a module may read
     * its own resources in packages it does not open.
     *
     * @throws IllegalStateException if the resource is missing, which is a packaging bug
     */
    static Config load(Class<?> owner, String resourceName) {
        URL resource = owner.getResource(resourceName);
        if (resource == null) {
            throw new IllegalStateException("the default settings of " + owner.getName() + " are missing: "
                    + resourceName + " is not in the " + owner.getPackageName() + " package");
        }
        return ConfigFactory.parseURL(resource).resolve();
    }
}
